import { request } from 'node:http';

/**
 * A request to the running API over its control socket (see ControlSocket): its answer, or
 * undefined when no process listens there (then the command opens the data folder itself).
 */
export function askControlSocket(
  socketPath: string,
  method: 'GET' | 'POST',
  path: string,
): Promise<Buffer | undefined> {
  return new Promise((resolveAnswer, reject) => {
    const req = request({ socketPath, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) {
          return reject(
            new Error(`The running API answered ${res.statusCode}: ${body.toString('utf8')}`),
          );
        }
        resolveAnswer(body);
      });
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolveAnswer(undefined);
      else reject(error);
    });
    req.end();
  });
}
