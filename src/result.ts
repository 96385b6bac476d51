// Values travel with coded messages (mammoth's Result, vfile's messages).
import type { Message, Prov } from './schema.js';

export interface Result<T> {
  value: T;
  messages: Message[];
}

export function ok<T>(value: T, messages: Message[] = []): Result<T> {
  return { value, messages };
}

export function message(
  severity: Message['severity'],
  code: string,
  reason: string,
  loc?: Prov,
): Message {
  return loc ? { severity, code, reason, loc } : { severity, code, reason };
}

export const warning = (code: string, reason: string, loc?: Prov): Message => message('warning', code, reason, loc);
export const info = (code: string, reason: string, loc?: Prov): Message => message('info', code, reason, loc);
