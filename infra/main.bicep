// ChatRegs in Azure: the whole deployment (docs/deployment.md).
//   App Service plan (Linux) + web app (.NET 10) with a system-assigned managed identity
//   Storage account (Table Storage; shared keys disabled) with "Storage Table Data Contributor" for that identity
//   Key Vault (RBAC) holding the bot's client secret, read by the app through a Key Vault reference
//   Log Analytics workspace + Application Insights (telemetry: docs/telemetry.md)
//   Azure Bot with the Microsoft Teams channel, pointing at the web app's /api/messages
// Build and lint: tests/ChatRegs.Infra.Tests (the Bicep CLI from NuGet).

targetScope = 'resourceGroup'

@description('Short name for every resource (lower-case letters and digits, 3 to 11): resources are named from it plus a suffix unique to the resource group.')
@minLength(3)
@maxLength(11)
param name string

@description('Azure region of every resource except the Azure Bot (global).')
param location string = resourceGroup().location

@description('Azure AD (Entra ID) tenant ids allowed to use the bot (ChatRegs:AllowedTenants); ["*"] for any tenant, explicitly.')
@minLength(1)
param allowedTenants array

@description('How many instances of the web app run (App Service plan capacity). More than one shares the tenant\'s Teams budget through storage (ChatRegs:Proactive:ShareTenantBudget).')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

@description('App Service plan SKU (Basic or above; several instances need Basic, Standard or Premium).')
param planSku string = 'P0v3'

@description('The application (client) id of the bot\'s Microsoft Entra app registration.')
@minLength(36)
@maxLength(36)
param appId string

@description('That app registration\'s client secret. Stored in Key Vault only; the web app reads it through a Key Vault reference.')
@secure()
param appPassword string

@description('SingleTenant (the app registration lives in this directory) or MultiTenant.')
@allowed([
  'SingleTenant'
  'MultiTenant'
])
param appType string = 'SingleTenant'

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are free) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Team time zone (ChatRegs:TimeZone, an IANA id).')
param timeZone string = 'Asia/Shanghai'

var suffix = uniqueString(resourceGroup().id)
var storageName = take('${name}${suffix}', 24)
var vaultName = take('${name}-kv-${suffix}', 24)
var webName = '${name}-${suffix}'
var tenantId = subscription().tenantId

// Built-in role definitions (same ids in every tenant).
var storageTableDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
var keyVaultSecretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: false
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    // No keys: the bot reaches Table Storage with its managed identity only.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'MicrosoftAppPassword'
  properties: {
    value: appPassword
    contentType: 'Client secret of the bot\'s app registration'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'linux'
  sku: {
    name: planSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var tenantSettings = [for (tenant, i) in allowedTenants: {
  name: 'ChatRegs__AllowedTenants__${i}'
  value: string(tenant)
}]

var appSettings = concat([
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    // The bot listens where App Service forwards requests.
    name: 'ASPNETCORE_URLS'
    value: 'http://+:8080'
  }
  {
    name: 'WEBSITES_PORT'
    value: '8080'
  }
  {
    name: 'MicrosoftAppId'
    value: appId
  }
  {
    name: 'MicrosoftAppType'
    value: appType
  }
  {
    name: 'MicrosoftAppTenantId'
    value: appType == 'SingleTenant' ? tenantId : ''
  }
  {
    // The secret stays in Key Vault; App Service resolves the reference with the app's identity.
    name: 'MicrosoftAppPassword'
    value: '@Microsoft.KeyVault(SecretUri=${appPasswordSecret.properties.secretUri})'
  }
  {
    name: 'ChatRegs__Storage__ServiceUri'
    value: storage.properties.primaryEndpoints.table
  }
  {
    name: 'ChatRegs__Proactive__ShareTenantBudget'
    value: instanceCount > 1 ? 'true' : 'false'
  }
  {
    name: 'ChatRegs__TimeZone'
    value: timeZone
  }
  {
    // The meeting panel (Bot/Tabs) on the meeting stage for those in the meeting without a check-in when it starts.
    name: 'ChatRegs__Meetings__InMeetingNotificationUrl'
    value: 'https://${webName}.azurewebsites.net/tabs/meeting.html'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insights.properties.ConnectionString
  }
], tenantSettings)

resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: webName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      appCommandLine: 'dotnet ChatRegs.Bot.dll'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: appSettings
    }
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, web.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: storageTableDataContributor
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, web.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: keyVaultSecretsUser
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'ChatRegs'
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: appId
    msaAppType: appType
    msaAppTenantId: appType == 'SingleTenant' ? tenantId : null
    disableLocalAuth: false
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

@description('The web app\'s host name: the bot\'s messaging endpoint is https://<this>/api/messages.')
output webAppHostName string = web.properties.defaultHostName

@description('The web app\'s name (for az webapp deploy).')
output webAppName string = web.name

@description('The Table endpoint the bot uses (ChatRegs:Storage:ServiceUri).')
output storageTableEndpoint string = storage.properties.primaryEndpoints.table

@description('The Azure Bot resource.')
output botName string = bot.name

@description('The Key Vault holding MicrosoftAppPassword.')
output keyVaultName string = vault.name
