/**
 * What the Slack surrogate holds: bot tokens with their scopes, channels, incoming webhooks, and
 * every message in the order it was posted, each with a unique, increasing `ts` such as
 * "1700000000.000100" (the clock's microseconds, one more than the last at least).
 */

export interface BotToken {
  readonly token: string;
  readonly scopes: ReadonlySet<string>;
}

export interface Channel {
  readonly id: string;
  readonly name: string;
}

export interface Webhook {
  /** The path of its URL (the secret part of it). */
  readonly path: string;
  readonly channel: Channel;
}

export interface MessageMetadata {
  readonly event_type: string;
  readonly event_payload: Readonly<Record<string, unknown>>;
}

export interface Message {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: readonly unknown[] | undefined;
  /** The thread it replies in; undefined for a message in the channel itself. */
  readonly thread_ts: string | undefined;
  readonly metadata: MessageMetadata | undefined;
  /** How it arrived. */
  readonly via: 'web_api' | 'webhook';
  edited: boolean;
}

/** Channel ids as Slack writes them: C and upper-case letters and digits. */
const channelId = (n: number): string => `C${String(n).padStart(8, '0')}`;

export class SlackState {
  readonly tokens = new Map<string, BotToken>();
  readonly channels = new Map<string, Channel>();
  readonly webhooks = new Map<string, Webhook>();
  readonly messages: Message[] = [];
  private lastMicros = 0;

  addChannel(name: string): Channel {
    const channel = { id: channelId(this.channels.size + 1), name: name.replace(/^#/, '') };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A channel by id, `#name` or `name`. */
  channel(idOrName: string): Channel | undefined {
    const name = idOrName.replace(/^#/, '');
    return this.channels.get(idOrName) ?? [...this.channels.values()].find((c) => c.name === name);
  }

  /** A new ts: unique and increasing. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1_000, this.lastMicros + 1);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    return `${seconds}.${String(this.lastMicros % 1_000_000).padStart(6, '0')}`;
  }

  post(message: Omit<Message, 'ts' | 'edited'>): Message {
    const posted: Message = { ...message, ts: this.nextTs(), edited: false };
    this.messages.push(posted);
    return posted;
  }

  find(channel: string, ts: string): Message | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }
}
