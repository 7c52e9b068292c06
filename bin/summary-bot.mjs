#!/usr/bin/env node
// `npx summary-bot …` after `npm ci`: load the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
await import('./summary-bot.ts');
