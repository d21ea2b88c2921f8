
BY_gradJєOПјPО Шd?кЌ]Па}?dѓSП