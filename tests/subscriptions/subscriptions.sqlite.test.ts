import { subscriptionSuite } from './subscription-suite';

subscriptionSuite('sqlite');
