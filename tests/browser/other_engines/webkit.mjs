// The browser tests in WebKit, Safari's engine (WebKitGTK's MiniBrowser
// through WebKitWebDriver, under xvfb-run): node --test tests/browser/other_engines/webkit.mjs
import { engineSuite } from './suite.mjs';

engineSuite('webkit');
