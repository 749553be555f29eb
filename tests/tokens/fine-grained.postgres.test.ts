import { fineGrainedSuite } from './fine-grained-suite';

fineGrainedSuite('postgres');
