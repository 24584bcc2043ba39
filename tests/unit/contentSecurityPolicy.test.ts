import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, contentSecurityPolicyFor } from '../../src/build/contentSecurityPolicy.ts';

const connectSources = (policy: string) => policy.split('; ').find((directive) => directive.startsWith('connect-src '));

describe('the Content-Security-Policy', () => {
  it('lets a default build connect to its own origin only', () => {
    expect(contentSecurityPolicy).toBe(
      "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'",
    );
    expect(contentSecurityPolicyFor()).toBe(contentSecurityPolicy);
  });

  it('adds a sync origin to connect-src, and changes nothing else', () => {
    const policy = contentSecurityPolicyFor('https://couch.example.com');
    expect(connectSources(policy)).toBe("connect-src 'self' https://couch.example.com");
    expect(policy).toBe(contentSecurityPolicy.replace("connect-src 'self'", "connect-src 'self' https://couch.example.com"));
    expect(connectSources(contentSecurityPolicyFor('https://couch.example.com/'))).toBe("connect-src 'self' https://couch.example.com");
    expect(connectSources(contentSecurityPolicyFor('https://couch.example.com:6984'))).toBe("connect-src 'self' https://couch.example.com:6984");
  });

  it('allows plain http for a sync server on this machine only', () => {
    expect(connectSources(contentSecurityPolicyFor('http://localhost:5984'))).toBe("connect-src 'self' http://localhost:5984");
    expect(connectSources(contentSecurityPolicyFor('http://127.0.0.1:5984'))).toBe("connect-src 'self' http://127.0.0.1:5984");
    expect(() => contentSecurityPolicyFor('http://couch.example.com')).toThrow(
      'Bad KUBECARDS_SYNC_ORIGIN "http://couch.example.com": https is required (http only for localhost and 127.0.0.1)',
    );
  });

  it('refuses anything but one https origin, naming the variable and the value', () => {
    expect(() => contentSecurityPolicyFor('https://couch.example.com/db')).toThrow(
      'Bad KUBECARDS_SYNC_ORIGIN "https://couch.example.com/db": not exactly an origin (that would be https://couch.example.com',
    );
    expect(() => contentSecurityPolicyFor('ftp://couch.example.com')).toThrow('Bad KUBECARDS_SYNC_ORIGIN "ftp://couch.example.com": https is required');
    expect(() => contentSecurityPolicyFor('https://a.example.com https://b.example.com')).toThrow('Bad KUBECARDS_SYNC_ORIGIN "https://a.example.com https://b.example.com": not a URL');
    expect(() => contentSecurityPolicyFor('https://a.example.com,https://b.example.com')).toThrow(/^Bad KUBECARDS_SYNC_ORIGIN "https:\/\/a.example.com,https:\/\/b.example.com": not exactly an origin/);
    for (const value of ['couch.example.com', '', 'https://Couch.example.com', 'https://couch.example.com:443', 'https://couch.example.com?x=1', "'self'", 'data:text/plain,x']) {
      expect(() => contentSecurityPolicyFor(value), value).toThrow(`Bad KUBECARDS_SYNC_ORIGIN ${JSON.stringify(value)}: `);
    }
  });

  it('is the one deploy/Caddyfile sends', () => {
    const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8');
    const headerValues = [...caddyfile.matchAll(/^\s*header\s+(?:@\S+\s+)?Content-Security-Policy\s+"([^"]*)"\s*$/gm)].map((match) => match[1]);
    expect(headerValues).toEqual([contentSecurityPolicy]);
    // No other line sets the header in a form the pattern above would miss.
    expect(caddyfile.match(/^[^#\n]*Content-Security-Policy/gm)).toHaveLength(1);
  });
});
