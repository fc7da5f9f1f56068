// Lets `node` run the plugin's TypeScript sources directly (Node >= 22.18 strips types by
// default): resolves extensionless relative imports, as the sources write them, to .ts/.tsx.
import { registerHooks } from 'node:module';

const EXTENSIONS = ['.ts', '.tsx', '/index.ts'];

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || /\.[cm]?[jt]sx?$/.test(specifier))
        throw error;
      for (const ext of EXTENSIONS) {
        try {
          return nextResolve(specifier + ext, context);
        } catch {
          // try the next extension
        }
      }
      throw error;
    }
  },
});
