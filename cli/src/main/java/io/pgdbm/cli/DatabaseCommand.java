package io.pgdbm.cli;

import io.pgdbm.core.ConfigKey;
import io.pgdbm.core.Pgdbm;
import java.util.List;
import picocli.CommandLine.Option;

/** A command that talks to the database: where it is, and as whom. */
abstract class DatabaseCommand extends ConfiguredCommand {

    @Option(names = "--url", description = "JDBC URL (or postgresql://user@host/db); else PGDBM_DATASOURCE_URL or "
            + "pgdbm.datasource.url in the properties file")
    String url;

    @Option(names = "--username", description = "user name (else PGDBM_DATASOURCE_USERNAME or the file)")
    String username;

    @Option(names = "--password", description = "password (better: PGDBM_DATASOURCE_PASSWORD); never printed")
    String password;

    @Override
    List<CliConfig.Flag> flags() {
        PgdbmCli root = root();
        return List.of(
                new CliConfig.Flag("--url", ConfigKey.DATASOURCE_URL.key(),
                        url != null ? url : root == null ? null : root.url),
                new CliConfig.Flag("--username", ConfigKey.DATASOURCE_USERNAME.key(),
                        username != null ? username : root == null ? null : root.username),
                new CliConfig.Flag("--password", ConfigKey.DATASOURCE_PASSWORD.key(),
                        password != null ? password : root == null ? null : root.password));
    }

    Pgdbm open() {
        return Pgdbm.create(config().database());
    }
}
