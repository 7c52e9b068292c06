import { createApp } from './create-app.ts';

// `cdk synth` / `cdk deploy` run this file (cdk.json); the App synthesizes when the process exits.
createApp();
