/**
 * The transcript's font and where it comes from, in one place: the renderer's resolver
 * (loadTranscriptFont), the CDK build that copies it beside the bundle (infra/functions.ts `files`)
 * and the tests all read it from here. No dependencies, so infra code can import it.
 */
export const TRANSCRIPT_FONT = {
  packageName: '@expo-google-fonts/pt-sans',
  packageFile: '400Regular/PTSans_400Regular.ttf',
  /** A bundle ships the file under this name next to its entry file (see loadTranscriptFont). */
  fileName: 'PTSans_400Regular.ttf',
  license: 'OFL-1.1',
} as const;

/** The font's path in the repository, where the build copies it from. */
export const TRANSCRIPT_FONT_SOURCE = `node_modules/${TRANSCRIPT_FONT.packageName}/${TRANSCRIPT_FONT.packageFile}`;
