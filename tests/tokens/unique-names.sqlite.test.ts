import { uniqueNameSuite } from './unique-name-suite';

uniqueNameSuite('sqlite');
