/** What `app.getVersion` answers: the package's own identity. */
export interface AppVersion {
  /** Semantic version from package.json, e.g. "0.1.0". */
  version: string;
  /** Package name from package.json. */
  name?: string;
}
