import { PlaneSuite } from './context';
import { readmeErrorRowsSuite } from './error-rows';
import { iamCallers } from './iam-callers';
import { kinesisExactAnswersSuite } from './kinesis-exact-answers';
import { limitsAndIam } from './limits-and-iam';
import { mappingAccess } from './mapping-access';
import { nothingLost } from './nothing-lost';

/**
 * The suites that cross the running local data plane end to end, each in a file of its own here,
 * registered in the order they run (after the smoke contract, against the same deployment).
 */
export const PLANE_SUITES: readonly PlaneSuite[] = [readmeErrorRowsSuite, kinesisExactAnswersSuite, limitsAndIam, iamCallers, mappingAccess, nothingLost];
