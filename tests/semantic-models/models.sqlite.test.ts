import { semanticModelSuite } from './model-suite';

semanticModelSuite('sqlite');
