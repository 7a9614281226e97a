// Preloaded with `node --import` by bench/startup/worker-startup.ts: appends the URL or path of every
// module the process loads (ESM through a resolve hook, CommonJS through Module._load) to the file
// named by TRIBUTARY_MODULE_RECORD, so the bench can count the modules loaded up to a moment.
import fs from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.TRIBUTARY_MODULE_RECORD;
if (file) {
  const hook = `
    import fs from 'node:fs';
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.startsWith('file:')) fs.appendFileSync(${JSON.stringify(file)}, r.url.slice(7) + '\\n');
      return r;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      fs.appendFileSync(file, Module._resolveFilename(request, parent, isMain) + '\n');
    } catch {
      // built-in modules and unresolvable requests are not files
    }
    return load.apply(this, arguments);
  };
}
