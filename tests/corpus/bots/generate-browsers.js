const { HeaderGenerator } = require('header-generator');
const out = [];
const combos = [
  ['chrome', 'desktop', 'windows'], ['chrome', 'desktop', 'macos'], ['chrome', 'desktop', 'linux'],
  ['chrome', 'mobile', 'android'], ['edge', 'desktop', 'windows'], ['firefox', 'desktop', 'windows'],
  ['firefox', 'desktop', 'macos'], ['firefox', 'desktop', 'linux'], ['firefox', 'mobile', 'android'],
  ['safari', 'desktop', 'macos'], ['safari', 'mobile', 'ios'],
];
for (const [b, d, os] of combos) {
  const g = new HeaderGenerator({ browsers: [{ name: b, minVersion: (b === 'safari' ? 15 : 110) }], devices: [d], operatingSystems: [os], httpVersion: '2', locales: ['en-US', 'de-DE', 'fr-FR', 'ja-JP'] });
  const seen = new Set();
  for (let i = 0; i < 200 && seen.size < 40; i++) {
    let h;
    try { h = g.getHeaders(); } catch (e) { break; }
    const key = JSON.stringify(h);
    // The model sometimes mixes in headers of headless Chrome it was also
    // trained on (a Firefox user-agent with HeadlessChrome client hints):
    // no real browser sends that, so such samples are not browser sets.
    if (seen.has(key) || key.includes('HeadlessChrome')) continue;
    seen.add(key);
    const hdrs = {};
    for (const [k, v] of Object.entries(h)) hdrs[k.toLowerCase()] = [v];
    out.push({ client: `${b}-${d}-${os}`, headers: hdrs });
  }
}
process.stdout.write(out.map(o => JSON.stringify(o)).join('\n') + '\n');
