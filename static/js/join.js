// The join form gets a client id when the page loads: a double tap or a resubmission on a slow
// network joins once; opening the page again (to join as someone else) gives a new id.
import { uuid } from "./live.js";

const field = document.getElementById("client-id");
if (field && !field.value) field.value = uuid();
