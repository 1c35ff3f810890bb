// Parameters of infra/main.bicep: copy this file, fill in your values, deploy (docs/deployment.md).
// The client secret is read from the environment at deployment time, never written here.
using 'main.bicep'

param name = 'chatregs'
param allowedTenants = [
  '00000000-0000-0000-0000-000000000000' // your Microsoft Entra tenant id
]
param instanceCount = 1
param appId = '00000000-0000-0000-0000-000000000000' // the bot's app registration (client) id
param appPassword = readEnvironmentVariable('CHATREGS_APP_PASSWORD', '')
param appType = 'SingleTenant'
