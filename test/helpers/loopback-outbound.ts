/**
 * The tests' explicit opt-out of the outbound URL policy (src/providers/outbound.ts): their Slack
 * webhook stand-ins listen on 127.0.0.1 over http, which the default policy refuses.
 */
import type { OutboundPolicy } from '../../src/providers/outbound';

export const LOOPBACK_OUTBOUND: OutboundPolicy = { hosts: ['127.0.0.1'], privateHosts: ['127.0.0.1'] };
