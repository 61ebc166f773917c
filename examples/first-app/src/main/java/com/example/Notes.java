package com.example;

import io.pgdbm.DatabaseModule;
import io.pgdbm.ModuleDatabase;
import jakarta.inject.Inject;
import java.util.List;

@DatabaseModule(schema = "notes", migrations = "db/notes")
public class Notes {
    @Inject
    ModuleDatabase db;

    public void add(String text) {
        db.execute("INSERT INTO {{tables.notes}} (text) VALUES (?)", text);
    }

    public List<String> all() {
        return db.fetchAll("SELECT text FROM {{tables.notes}} ORDER BY id", String.class);
    }
}
