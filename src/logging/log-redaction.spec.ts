import { maskUrl } from './log-redaction';

describe('maskUrl', () => {
  it('masks a phone number in a path segment, raw or URL-encoded', () => {
    expect(maskUrl('/outbound/dnc/+12125550100')).toBe('/outbound/dnc/+1********00');
    expect(maskUrl('/outbound/dnc/%2B12125550100')).toBe('/outbound/dnc/+1********00');
  });

  it('masks a phone number given as a query value', () => {
    expect(maskUrl('/x?to=12125550100&limit=5')).toBe('/x?to=12*******00&limit=5');
  });

  it('keeps ids and small numbers as they are', () => {
    const url = '/outbound/agents/11111111-2222-4333-8444-555555555555/calls?limit=500';

    expect(maskUrl(url)).toBe(url);
  });
});
