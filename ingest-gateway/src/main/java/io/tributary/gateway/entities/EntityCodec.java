package io.tributary.gateway.entities;

import io.tributary.platform.auth.Scope;
import io.tributary.platform.http.RequestFields;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * What is specific to one Fin X resource written through the gateway (seed 000's insights, seed
 * 001's segments), as data: its path, topic and scopes, its body fields and their length limits,
 * and how a create or a partial update becomes the whole record written to its compacted topic.
 * {@link EntityWrites} does the rest, the same for every resource.
 *
 * @param noun          singular name for messages, e.g. "customer insight"
 * @param path          collection path, e.g. {@code /v1/customer-insights}
 * @param topic         the compacted topic holding the resource, keyed workspace_id|id
 * @param createFields  body fields of a create, all required
 * @param updateFields  body fields an update may send (at least one)
 * @param maxChars      longest value, in characters, of each body field
 * @param create        the record of a new entity, from validated fields
 * @param update        the current record with the fields sent changed, updated at the given time
 * @param view          the API's JSON shape of a record
 */
record EntityCodec<T extends SpecificRecord>(String noun, String path, String topic, Scope createScope, Scope updateScope,
                                             Scope deleteScope, List<String> createFields, List<String> updateFields,
                                             Map<String, Integer> maxChars, Create<T> create, Update<T> update,
                                             Function<T, Object> view) {

    @FunctionalInterface
    interface Create<T> {
        T apply(String workspaceId, String id, RequestFields fields, Instant now);
    }

    @FunctionalInterface
    interface Update<T> {
        T apply(T current, RequestFields fields, Instant now);
    }

    EntityCodec {
        Objects.requireNonNull(noun);
        Objects.requireNonNull(path);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(createScope);
        Objects.requireNonNull(updateScope);
        Objects.requireNonNull(deleteScope);
        createFields = List.copyOf(createFields);
        updateFields = List.copyOf(updateFields);
        maxChars = Map.copyOf(maxChars);
        Objects.requireNonNull(create);
        Objects.requireNonNull(update);
        Objects.requireNonNull(view);
    }
}
