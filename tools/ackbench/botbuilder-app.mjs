// botbuilder's CloudAdapter: authenticates each activity's Bot Framework JWT (RS256 key from the OpenID metadata,
// endorsement for the channel, issuer, audience = app id, serviceurl claim) and runs an empty turn. It stores nothing.
// Started by drive.mjs; the OpenID metadata URL points at drive.mjs's loopback fake, so nothing leaves the machine.
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: process.env.APP_ID,
  MicrosoftAppPassword: 'bench-secret',
  MicrosoftAppType: 'MultiTenant',
  ToBotFromChannelOpenIdMetadataUrl: process.env.OPENID_METADATA_URL,
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
});
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (_context, error) => console.error(error);

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/api/messages', (req, res) => adapter.process(req, res, async () => {}));
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('botbuilder ready'));
