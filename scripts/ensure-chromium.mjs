// Browser tests and the dashboard benchmark need Debian's Chromium: installed here when missing,
// so a fresh machine needs no manual step. Run as a script or imported.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
  console.log('Installing Debian chromium (apt-get)…');
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(`${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq chromium >/dev/null`, {
    stdio: 'inherit',
  });
}
