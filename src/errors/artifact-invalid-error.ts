import { Why137Error } from './why137-error.js';

/** A recognised artifact whose content is not what its kind requires (e.g. an inspect object without State). */
export class ArtifactInvalidError extends Why137Error {
  constructor(file: string, expected: string, problem: string) {
    super('why137_artifact_invalid', `${file}: ${problem}; expected ${expected}`);
  }
}
