// The browser tests in Firefox (Debian's firefox-esr, through puppeteer-core
// over WebDriver BiDi): node --test tests/browser/other_engines/firefox.mjs
import { engineSuite } from './suite.mjs';

engineSuite('firefox');
