package io.pgdbm.bench;

import java.time.OffsetDateTime;

/** The row a point select reads, mapped by both sides: pgdbm by component name, raw JDBC by column index. */
public record Account(long id, String email, String displayName, int balance, OffsetDateTime createdAt) {
}
