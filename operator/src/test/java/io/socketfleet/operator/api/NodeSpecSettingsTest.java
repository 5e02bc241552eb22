package io.socketfleet.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code spec.node} in the CRD says what the contract's settings table says. */
class NodeSpecSettingsTest {

    private static Map<String, JSONSchemaProps> nodeFields() throws Exception {
        return CrdTest.version().getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties().get("node")
                .getProperties();
    }

    @Test
    void everyFleetSettingIsAFieldWithTheTablesBoundsDefaultAndDescription() throws Exception {
        Map<String, JSONSchemaProps> fields = nodeFields();
        for (NodeSetting setting : NodeSetting.fleetSettings()) {
            JSONSchemaProps field = fields.get(setting.fieldName());
            String where = "spec.node." + setting.fieldName() + " (" + setting + ")";
            assertEquals(setting.defaultValue(), field == null ? null : field.getDefault().asText(), where + " default");
            if (setting.kind() == NodeSetting.Kind.NUMBER) {
                assertEquals((double) setting.min(), field.getMinimum(), where + " @Min");
                assertEquals((double) setting.max(), field.getMaximum(), where + " @Max");
            }
            assertEquals(setting.description(), field.getDescription(), where + " description");
        }
    }

    @Test
    void everyOtherFieldIsAboutThePodNotTheNode() throws Exception {
        Set<String> others = new TreeSet<>(nodeFields().keySet());
        NodeSetting.fleetSettings().forEach(setting -> others.remove(setting.fieldName()));
        assertEquals(Set.of("image", "imagePullPolicy", "resources"), others,
                "a new node field must be a setting in the contract's table, or the nodes never receive it");
    }

    @Test
    void anUnsetSpecRunsTheTablesDefaults() {
        Map<NodeSetting, String> defaults = new EnumMap<>(NodeSetting.class);
        NodeSetting.fleetSettings().forEach(setting -> defaults.put(setting, setting.defaultValue()));
        assertEquals(new NodeSettings(defaults), new NodeSpec().settings());
    }

    @Test
    void settingsAreReadByTheirJsonName() {
        NodeSpec node = new NodeSpec();
        node.setPingIntervalMs(1234);
        node.setMaxConnections(null);
        assertEquals("1234", node.settingValues().get(NodeSetting.PING_INTERVAL_MS));
        assertEquals(null, node.settingValues().get(NodeSetting.MAX_CONNECTIONS), "a null field is absent, for the validator to name");
    }
}
