package io.tributary.gateway.upload;

import java.util.List;
import java.util.SortedSet;

/** A valid upload body: its customers, and the attribute and metric keys it held that match no definition (ignored). */
record ParsedUpload(List<UploadedCustomer> customers, SortedSet<String> ignoredAttributes, SortedSet<String> ignoredMetrics) {
}
