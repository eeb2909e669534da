// Tools the test suite and benchmarks take from Debian, installed here when missing so a fresh
// machine needs no manual step: Chromium (browser tests, the dashboard benchmark) and promtool
// (the alert-rule tests, from Debian's prometheus package). Run as a script or imported.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
let updated = false;
function install(pkg, flags = '') {
  console.log(`Installing Debian ${pkg} (apt-get)…`);
  if (!updated) execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit' });
  updated = true;
  execSync(`${sudo}apt-get install -y -qq ${flags} ${pkg} >/dev/null`, { stdio: 'inherit' });
}

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) install('chromium');
// Only promtool is needed: no recommends, and the server is never started (there is no systemd).
if (!existsSync('/usr/bin/promtool') && !process.env.PROMTOOL_PATH)
  install('prometheus', '--no-install-recommends');
