import { viewerSuite } from './viewer-suite';

viewerSuite('postgres');
