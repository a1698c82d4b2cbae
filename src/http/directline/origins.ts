/**
 * The origins this server itself answers on, known without reading the request: PUBLIC_BASE_URL and the
 * loopback names of the listening port. The Host header is the client's to write (a DNS rebinding page
 * sends its own name in both Host and Origin), so it never decides what is « our » origin.
 */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export function ownOrigins(localBaseUrl: string, publicBaseUrl: string | undefined): string[] {
  const origins: string[] = [];
  if (publicBaseUrl) origins.push(originOf(publicBaseUrl));
  const port = portOf(localBaseUrl);
  // As browsers write them: through URL, so that a default port is left out.
  if (port) for (const host of LOOPBACK) origins.push(originOf(`http://${host}:${port}`));
  return origins.filter((o) => o !== '');
}

/** The origin the request's Host names, if it is one of ours; otherwise undefined. */
export function ownOriginOfHost(host: string | undefined, own: readonly string[]): string | undefined {
  if (!host) return undefined;
  const wanted = host.toLowerCase();
  return own.find((origin) => hostOf(origin) === wanted);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

function portOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  } catch {
    return '';
  }
}
