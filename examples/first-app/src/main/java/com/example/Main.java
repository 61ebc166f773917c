package com.example;

import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

public class Main {
    public static void main(String[] args) {
        try (SeContainer container = SeContainerInitializer.newInstance().initialize()) {
            Notes notes = container.select(Notes.class).get();
            notes.add("hello from pgdbm");
            System.out.println("notes: " + notes.all());
        }
    }
}
