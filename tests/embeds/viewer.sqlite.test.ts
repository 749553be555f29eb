import { viewerSuite } from './viewer-suite';

viewerSuite('sqlite');
