export interface FacebookCredentials {
  pageAccessToken: string;
  appSecret: string;
  verifyToken: string;
}

export interface TwitterAccountCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export type AccountCredentials = FacebookCredentials | TwitterAccountCredentials;
