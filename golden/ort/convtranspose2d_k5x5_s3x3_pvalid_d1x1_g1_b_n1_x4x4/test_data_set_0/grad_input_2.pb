
BB_gradJўqAРЫѓАљг@цОa@