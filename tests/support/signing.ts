/**
 * Real Ed25519 signing for tests: the same code the sandbox CLI uses to sign interactions as Discord does.
 */
export {
  generateSigningKeys,
  type SigningKeys,
  signDiscordBody,
  signedRequest,
} from '../../lib/local/discord-signer.ts';
