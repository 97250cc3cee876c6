/**
 * The networked databases the availability tests cancel queries on: how to
 * reach each through a fault proxy's port, a query that runs 10 s, and how to
 * ask the server whether it still runs it. Shared by the MikroORM
 * (test/security/availability-orm.test.ts) and Kysely
 * (components/orm/kysely/kysely.test.ts) availability tests.
 */
export interface SlowQueryServer {
  name: string
  service: 'postgres' | 'mariadb'
  url: (port: number) => string
  /** A query that runs 10 s, carrying `marker` so the test can look for it on the server. */
  slow: (marker: string) => string
  /** How many statements carrying `marker` the server is running now, the asking one aside. */
  running: (marker: string) => string
}

export const slowQueryServers: readonly SlowQueryServer[] = [
  {
    name: 'PostgreSQL',
    service: 'postgres',
    url: (port) => `postgresql://postgres@127.0.0.1:${port}/test`,
    slow: (marker) => `select pg_sleep(10), '${marker}' as marker`,
    // An idle backend still shows its last query: only an active one is running it.
    running: (marker) => `select count(*) as n from pg_stat_activity where state = 'active' and query like '%${marker}%' and pid <> pg_backend_pid()`,
  },
  {
    name: 'MariaDB',
    service: 'mariadb',
    url: (port) => `mysql://root@127.0.0.1:${port}/test`,
    slow: (marker) => `select sleep(10), '${marker}' as marker`,
    running: (marker) => `select count(*) as n from information_schema.processlist where info like '%${marker}%' and id <> connection_id()`,
  },
]
