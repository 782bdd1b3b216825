// @slack/bolt with its ExpressReceiver: verifies Slack's request signature (signing secret, timestamp window) and
// acknowledges the event. It stores nothing. Started by drive.mjs; PORT, SLACK_SIGNING_SECRET and SLACK_API_URL come
// from the environment (the Web API URL is a loopback fake, so nothing leaves the machine).
import bolt from '@slack/bolt';

const { App, ExpressReceiver, LogLevel } = bolt;
const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({
  receiver,
  token: 'xoxb-bench',
  botId: 'BBENCH',
  botUserId: 'UBOT',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.event('message', async () => {});
await app.start(Number(process.env.PORT));
console.log('bolt ready');
