import { Moto } from '../../support/moto';
import { DataPlane } from '../../../local/data-plane';
import { PipelinesConfig } from '../../../lib/config';
import { SmokeTarget } from '../../../scripts/lib/smoke-target';
import { SynthesizedStack } from '../../../scripts/lib/synth';

/**
 * What the local cycle hands to each suite that tests the running local data plane: the one
 * deployment (deploying every stack takes minutes, so the suites share it), the emulator and the
 * started `serve:local`. Suites run after the smoke contract, in the order of `PLANE_SUITES`, and
 * must leave the deployment as they found it (the cycle goes on to plan, lock and destroy it).
 */
export interface PlaneContext {
  readonly moto: Moto;
  readonly plane: DataPlane;
  /** The default configuration, targeting this emulator. */
  readonly config: PipelinesConfig;
  readonly stacks: readonly SynthesizedStack[];
  /** The synthesized app that was deployed. */
  readonly outdir: string;
  /** Where serve:local wrote endpoints.json and the function logs. */
  readonly localDir: string;
  /** The smoke target of this deployment: outputs, SigV4 credentials, SDK client configuration. */
  readonly target: SmokeTarget;
  /** Starts another data plane on this deployment with the shared plane's options (a free port, the same local folder). */
  startPlane(): Promise<DataPlane>;
  /** Makes `plane` the shared one, for the suites that follow and the cycle's clean-up; stop or abandon the old one first. */
  usePlane(plane: DataPlane): void;
}

/** A suite registers its `describe`/`it` blocks; the context is ready inside hooks and tests. */
export type PlaneSuite = (context: () => PlaneContext) => void;
