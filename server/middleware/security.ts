// Security headers: helmet with a strict CSP (no inline script), no framing, no base-uri.
import helmet from 'helmet';

/** `https`: the service is reached over https (BASE_URL); on plain-http development, requests are not upgraded. */
export function securityHeaders(https = true) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
  });
}
