package org.proxynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.proxynas.run.JsonFiles;
import org.proxynas.search.SearchConfig;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A search run's config.json and the part of it that is the run's identity: the search configuration (less its
 * checkpoint frequency), the dataset and the data folder. Threads, backend and checkpoint frequency may change
 * on a resume without changing the run.
 */
final class SearchRunConfig {
    /** config.json's version: 2 groups the search fields (SearchConfig's records); 1 (proxynas 0.1.0) had them flat. */
    static final int VERSION = 2;
    /** SearchConfig's groups (schedule, supernet, ...): the objects of version 2. */
    private static final List<RecordComponent> GROUPS = Arrays.stream(SearchConfig.class.getRecordComponents())
            .filter(c -> c.getType().isRecord()).toList();

    private SearchRunConfig() {}

    /** The identity part of a new run's configuration. */
    static ObjectNode identity(SearchConfig cfg, String dataset, Path dataDir) {
        ObjectNode c = JsonFiles.mapper().createObjectNode();
        c.put("command", "search");
        ObjectNode search = JsonFiles.mapper().valueToTree(cfg);
        search.remove("checkpointEvery");
        c.set("search", search);
        c.put("dataset", dataset);
        c.put("data", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        return c;
    }

    /**
     * The identity part of a saved config.json, built the same way as {@link #identity(SearchConfig, String, Path)}
     * from the layout as saved (a flat one included), so it hashes as it did when the run started.
     */
    static ObjectNode identity(ObjectNode saved) {
        ObjectNode c = JsonFiles.mapper().createObjectNode();
        c.put("command", "search");
        JsonNode s = saved.get("search");
        ObjectNode search = s instanceof ObjectNode o ? o.deepCopy() : JsonFiles.mapper().createObjectNode();
        search.remove("checkpointEvery");
        c.set("search", search);
        c.set("dataset", saved.get("dataset") == null ? c.nullNode() : saved.get("dataset"));
        c.set("data", saved.get("data") == null ? c.nullNode() : saved.get("data"));
        return c;
    }

    /**
     * The search configuration of a saved config.json (version 1 or 2), with --checkpoint-every replaced when given
     * (not null). A {@link UserError} naming the file and the field or option otherwise.
     */
    static SearchConfig searchConfig(ObjectNode saved, Integer checkpointEvery, Path configFile) {
        JsonNode version = saved.path("version");
        if (!version.isInt() || version.intValue() < 1 || version.intValue() > VERSION) {
            throw new UserError(configFile + ": field 'version' is " + version + "; this proxynas reads versions 1 and " + VERSION);
        }
        if (!(saved.get("search") instanceof ObjectNode s)) throw new UserError(configFile + ": field 'search' is missing or not an object");
        ObjectNode search = version.intValue() == 1 ? fromFlat(s) : s.deepCopy();
        if (checkpointEvery != null) search.put("checkpointEvery", checkpointEvery);
        try {
            return JsonFiles.mapper().treeToValue(search, SearchConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(configFile + ": invalid search configuration: " + JsonMessages.describe(e));
        }
    }

    /** A version-1 'search' object (every field at the top level) in the version-2 layout: the same names, moved into their groups. */
    private static ObjectNode fromFlat(ObjectNode search) {
        ObjectNode out = search.deepCopy();
        for (RecordComponent g : GROUPS) {
            ObjectNode group = out.putObject(g.getName());
            for (RecordComponent f : g.getType().getRecordComponents()) {
                JsonNode v = out.remove(f.getName());
                if (v != null) group.set(f.getName(), v);
            }
        }
        return out;
    }
}
