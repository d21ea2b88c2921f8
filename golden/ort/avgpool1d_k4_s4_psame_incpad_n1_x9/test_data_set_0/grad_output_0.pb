
BY_gradJÐ2_>q=?¸z™¾8!N¿à°î>LQc?