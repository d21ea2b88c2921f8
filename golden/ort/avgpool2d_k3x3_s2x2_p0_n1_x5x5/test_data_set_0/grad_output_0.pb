
BY_gradJ ршm?А0Kѕимt?вwh?°%a?РЂMї4¶}?МВeї