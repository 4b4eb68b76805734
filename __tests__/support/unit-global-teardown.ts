import { stopWorkerEmulators } from './worker-emulators';

export default function teardown(): void {
  stopWorkerEmulators();
}
