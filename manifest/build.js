// The Teams app package builder behind manifest/build.sh (see there). Fills the placeholders
// in manifest.json, checks the result, and zips manifest.json, the icons and the localization
// files into build/ChatRegs.zip (entries at the root of the zip, as Teams requires).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const here = __dirname;
const repoRoot = path.resolve(here, '..');
const outDir = path.join(here, 'build');
const guid = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

function fail(message) {
  console.error('manifest/build.sh: ' + message);
  process.exit(1);
}

function appId() {
  const fromEnv = (process.env.MicrosoftAppId || '').trim();
  if (fromEnv) return { id: fromEnv, from: 'the MicrosoftAppId environment variable' };
  const settingsPath = path.join(repoRoot, 'appsettings.json');
  if (fs.existsSync(settingsPath)) {
    const fromSettings = String(JSON.parse(fs.readFileSync(settingsPath, 'utf8')).MicrosoftAppId || '').trim();
    if (fromSettings) return { id: fromSettings, from: 'appsettings.json' };
  }
  fail('no app id: set MicrosoftAppId (the Azure Bot\'s Microsoft App ID) in the environment or in appsettings.json.');
}

const { id, from } = appId();
if (!guid.test(id)) fail(`MicrosoftAppId from ${from} is "${id}", which is not a GUID.`);

let domain = (process.env.BOT_DOMAIN || '').trim();
if (!domain) {
  domain = 'localhost';
  console.warn('manifest/build.sh: BOT_DOMAIN is not set; using "localhost". Set it to the bot\'s public host (e.g. chatregs.azurewebsites.net) for a package you upload.');
}
if (!/^[A-Za-z0-9.*-]+(:[0-9]+)?$/.test(domain)) fail(`BOT_DOMAIN "${domain}" must be a bare host name (no scheme, no path).`);

const fill = text => text.replace(/\{\{MICROSOFT_APP_ID\}\}/g, id.toLowerCase()).replace(/\{\{BOT_DOMAIN\}\}/g, domain);

const manifestText = fill(fs.readFileSync(path.join(here, 'manifest.json'), 'utf8'));
const manifest = JSON.parse(manifestText);
const leftover = manifestText.match(/\{\{[A-Z_]+\}\}/);
if (leftover) fail(`manifest.json still has the placeholder ${leftover[0]}.`);

const files = [['manifest.json', Buffer.from(manifestText, 'utf8')]];
for (const icon of [manifest.icons.color, manifest.icons.outline]) {
  files.push([icon, fs.readFileSync(path.join(here, icon))]);
}
for (const language of (manifest.localizationInfo && manifest.localizationInfo.additionalLanguages) || []) {
  const text = fill(fs.readFileSync(path.join(here, language.file), 'utf8'));
  JSON.parse(text);
  files.push([language.file, Buffer.from(text, 'utf8')]);
}

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'manifest.json'), manifestText);
const zipPath = path.join(outDir, 'ChatRegs.zip');
fs.writeFileSync(zipPath, zip(files));
console.log(`manifest/build.sh: wrote ${path.relative(repoRoot, zipPath)} (app id ${id.toLowerCase()} from ${from}; ${files.map(f => f[0]).join(', ')}).`);

// A minimal ZIP writer (deflate, UTF-8 names, fixed timestamps so the same input gives the same bytes).
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, deflated);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + deflated.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
