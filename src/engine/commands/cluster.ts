// CLUSTER, READONLY, READWRITE and ASKING on a server started without
// cluster-enabled (a simulated node cannot enable it): each answers as
// clusterCommand and readonlyCommand do then, HELP included.
import type { Handler } from './context.ts';
import { COMMAND_TABLE } from './table.generated.ts';
import { Err } from '../errors.ts';

const disabled: Handler = ({ reply }) => reply.error(Err.clusterDisabled);

const cluster = COMMAND_TABLE.find((c) => c.name === 'cluster')!;

export const clusterHandlers: Record<string, Handler> = {
  ...Object.fromEntries((cluster.subcommands ?? []).map((sub) => [sub.name, disabled])),
  readonly: disabled,
  readwrite: disabled,
  asking: disabled,
};
