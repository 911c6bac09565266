// The credential type's name for every tool (demo, bench, engine runs, end-to-end checks): read
// from the credential class n8n loads, so no tool spells it and none depends on where the node's
// code keeps its own constant.
import { KonaCredentials } from '../../credentials/KonaCredentials.credentials';

export const CREDENTIAL_TYPE = new KonaCredentials().name;
