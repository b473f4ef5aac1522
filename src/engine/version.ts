// The version this engine answers as: Debian's redis-server 7.0.15.
export const REDIS_VERSION = '7.0.15';
