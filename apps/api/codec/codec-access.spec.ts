import { isLoopbackAddress, temporalUiOrigin } from './codec-access';

describe('codec endpoint access', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.3.2.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    ['127.0.0.1.evil', false],
    [undefined, false],
  ])('treats %s as loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it('answers browsers of the Temporal UI origin only, from TEMPORAL_UI_URL', () => {
    expect(temporalUiOrigin({ TEMPORAL_UI_URL: 'http://localhost:8233' })).toBe('http://localhost:8233');
    expect(temporalUiOrigin({ TEMPORAL_UI_URL: 'https://ops.example.vn/temporal/' })).toBe('https://ops.example.vn');
  });
});
