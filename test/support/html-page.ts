/** Reading a served page in tests without a DOM: its <script> elements and its Content-Security-Policy. */

export interface ScriptTag {
  readonly tag: string;
  readonly src: string | undefined;
  readonly content: string;
}

export function scriptsOf(html: string): ScriptTag[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({
    tag: `<script${m[1] ?? ''}>`,
    src: /\ssrc="([^"]*)"/.exec(m[1] ?? '')?.[1],
    content: m[2] ?? '',
  }));
}

/** The policy's directives, each with its sources in order. */
export function cspOf(headers: Headers): Map<string, string[]> {
  const policy = headers.get('content-security-policy') ?? '';
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts): parts is [string, ...string[]] => Boolean(parts[0]))
      .map(([name, ...values]) => [name, values]),
  );
}
