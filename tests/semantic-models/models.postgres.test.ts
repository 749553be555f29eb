import { semanticModelSuite } from './model-suite';

semanticModelSuite('postgres');
