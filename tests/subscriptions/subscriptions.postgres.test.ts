import { subscriptionSuite } from './subscription-suite';

subscriptionSuite('postgres');
